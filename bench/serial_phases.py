#!/usr/bin/env python3
"""Per-call timeline of aigw's event loop (thread aigw-w0) from `perf script -F comm,tid,cpu,time,event,trace` of
raw_syscalls and sched_wakeup tracepoints (bench/serial_phases.sh). Prints the median, 25th and 75th percentile of
each phase in µs. A call starts at the loop's read(2) of a request; its reservation commit is the first run of SQLite
locks (fcntl) before the upstream sendto(2), its finish commit the run of locks between recvfrom(2) and writev(2)."""
import re
import sys

RX = re.compile(r'^\s*(\S+)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+):\s*(.*)$')
NR_READ, NR_WRITEV, NR_SENDTO, NR_RECVFROM, NR_FCNTL = 0, 20, 44, 45, 72


def main(path):
    ev = []
    with open(path) as f:
        for line in f:
            m = RX.match(line)
            if m:
                comm, tid, _cpu, t, name, rest = m.groups()
                ev.append((float(t) * 1e6, comm, int(tid), name, rest))
    loop = [e for e in ev if e[1] == 'aigw-w0']
    if not loop:
        print('no aigw-w0 thread in the trace')
        return
    wtid = loop[0][2]
    calls, cur, last_wake = [], None, None
    for t, _comm, tid, name, rest in ev:
        if name == 'sched:sched_wakeup' and ('pid=%d ' % wtid) in rest:
            last_wake = t
            continue
        if tid != wtid:
            continue
        if name == 'raw_syscalls:sys_enter':
            nr = int(rest.split()[1])
            if nr == NR_READ:
                cur = {'wake': last_wake, 'read': t, 'locks': [], 'sys': 0}
                calls.append(cur)
            if cur is None:
                continue
            cur['sys'] += 1
            if nr == NR_FCNTL:
                cur['locks'].append(t)
            elif nr == NR_SENDTO:
                cur['send'] = t
            elif nr == NR_RECVFROM and 'recv' not in cur:
                cur['recv'], cur['wake2'] = t, last_wake
            elif nr == NR_WRITEV:
                cur['writev'] = t
        elif name == 'raw_syscalls:sys_exit' and cur is not None:
            nr = int(rest.split()[1])
            if nr == NR_FCNTL:
                cur['locks'].append(t)
            elif nr == NR_WRITEV:
                cur['writev_end'] = t
    out = {}

    def add(k, v):
        out.setdefault(k, []).append(v)

    n = 0
    for c in calls:
        if any(k not in c for k in ('send', 'recv', 'writev', 'writev_end')) or c['wake'] is None or c['wake2'] is None:
            continue
        pre = [x for x in c['locks'] if x < c['send']]
        post = [x for x in c['locks'] if c['recv'] < x < c['writev']]
        add('1 wake-up (client) -> read', c['read'] - c['wake'])
        if pre:
            add('2 read -> reservation commit', pre[0] - c['read'])
            add('3 reservation commit (locks)', pre[-1] - pre[0])
            add('4 commit -> sendto', c['send'] - pre[-1])
        add('2-4 read -> sendto', c['send'] - c['read'])
        add('5 sendto -> wake-up (upstream)', c['wake2'] - c['send'])
        add('6 wake-up -> recvfrom', c['recv'] - c['wake2'])
        if post:
            add('7 recvfrom -> finish commit', post[0] - c['recv'])
            add('8 finish commit (locks)', post[-1] - post[0])
            add('9 commit -> writev', c['writev'] - post[-1])
        add('7-9 recvfrom -> writev', c['writev'] - c['recv'])
        add('10 writev', c['writev_end'] - c['writev'])
        add('total wake-up -> writev end', c['writev_end'] - c['wake'])
        add('system calls per call', c['sys'])
        n += 1
    print('calls: %d of %d' % (n, len(calls)))
    def order(k):
        head = k.split()[0]
        if head[0].isdigit():
            a, _, b = head.partition('-')
            return (float(b) + 0.5) if b else float(a)
        return 99.0

    for k in sorted(out, key=order):
        v = sorted(out[k])
        m = len(v)
        print('  %-32s p50 %7.1f   p25 %7.1f   p75 %7.1f' % (k, v[m // 2], v[m // 4], v[3 * m // 4]))


if __name__ == '__main__':
    main(sys.argv[1])
