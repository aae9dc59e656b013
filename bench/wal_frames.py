#!/usr/bin/env python3
"""WAL frames (pages) each SQL statement writes, and the B-trees they belong to (issue 12 session 9).

Usage: python3 bench/wal_frames.py DB 'SQL' ['SQL' ...]

Works on a copy of DB (DB is not changed): for each argument, checkpoints the WAL (TRUNCATE), runs the SQL in one
BEGIN IMMEDIATE ... COMMIT (statements separated by ';;'), then reads the page number of every frame header of the
-wal file and names the B-tree of each page (SQLite's dbstat virtual table; page 1 is the header page). A report,
not a test. Example, a call row copied with a new request id:
  python3 bench/wal_frames.py var/aigw.db "INSERT INTO calls SELECT 'x' || request_id, user_id, client, provider, model,
  route, status, started_at + 1, duration_us, usage_json, cost_microcredits, notrain_decision, has_images, expires_at,
  body_expires_at, request_ct, response_ct, nonce, outcome, input_tokens, output_tokens, images, compute_ms FROM calls
  ORDER BY rowid DESC LIMIT 1"
"""
import os
import shutil
import sqlite3
import struct
import sys
import tempfile


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    tmp = tempfile.mkdtemp(prefix='wal-frames-')
    db = os.path.join(tmp, 'copy.db')
    shutil.copy(sys.argv[1], db)
    if os.path.exists(sys.argv[1] + '-wal'):
        shutil.copy(sys.argv[1] + '-wal', db + '-wal')
    c = sqlite3.connect(db, isolation_level=None)
    c.execute('PRAGMA journal_mode=WAL')
    c.execute('PRAGMA secure_delete=ON')  # as aigw's connections
    c.execute('PRAGMA synchronous=NORMAL')

    def owners():
        return {page: name for name, page in c.execute('SELECT name, pageno FROM dbstat')}

    for sql in sys.argv[2:]:
        c.execute('PRAGMA wal_checkpoint(TRUNCATE)')
        own = owners()
        c.execute('BEGIN IMMEDIATE')
        for s in sql.split(';;'):
            c.execute(s)
        c.execute('COMMIT')
        own.update(owners())
        with open(db + '-wal', 'rb') as f:
            data = f.read()
        page_size = struct.unpack('>I', data[8:12])[0]
        off, pages = 32, []
        while off + 24 + page_size <= len(data):
            pages.append(struct.unpack('>I', data[off:off + 4])[0])
            off += 24 + page_size
        names = ', '.join('%d:%s' % (p, 'header' if p == 1 else own.get(p, '?')) for p in pages)
        print('%d frames: %s | %s' % (len(pages), names, sql[:80]))
    c.close()
    shutil.rmtree(tmp)


if __name__ == '__main__':
    main()
