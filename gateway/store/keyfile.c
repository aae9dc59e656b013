/*
 * Master key file I/O (see keyfile.h). The bytes read pass through a sodium_malloc buffer and
 * are wiped before return, so the key exists in exactly one place afterwards: the pol_key_t.
 */
#include "gateway/store/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEYFILE_MAX_BYTES 256

pol_key_t *gw_keyfile_load(const char *path, char *err, size_t errlen)
{
    pol_key_t *key = NULL;
    unsigned char *buf = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        snprintf(err, errlen, "master key file %s: %s (create one with `aigw keygen %s`)", path, strerror(errno), path);
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "master key file %s: not a regular file", path);
        goto out;
    }
    if ((sb.st_mode & 077) != 0) {
        snprintf(err, errlen, "master key file %s: mode %04o lets group or others access it; run chmod 600 %s", path,
                 (unsigned)(sb.st_mode & 07777), path);
        goto out;
    }
    if ((buf = sodium_malloc(KEYFILE_MAX_BYTES)) == NULL) {
        snprintf(err, errlen, "master key file %s: out of memory", path);
        goto out;
    }
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, KEYFILE_MAX_BYTES - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, errlen, "master key file %s: %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == KEYFILE_MAX_BYTES)
            break;
    }
    if ((key = pol_key_from_bytes(buf, n)) == NULL)
        snprintf(err, errlen, "master key file %s: expected 64 hex digits or 32 raw bytes", path);
out:
    if (buf != NULL)
        sodium_free(buf);
    close(fd);
    return key;
}

int gw_keyfile_write(const char *path, const pol_key_t *key, char *err, size_t errlen)
{
    char hex[2 * POL_CRYPTO_KEY_BYTES + 2];
    int ret = -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s%s", path, strerror(errno), errno == EEXIST ? " (refusing to overwrite a key file)" : "");
        return -1;
    }
    pol_key_hex(key, hex);
    hex[2 * POL_CRYPTO_KEY_BYTES] = '\n';
    size_t len = 2 * POL_CRYPTO_KEY_BYTES + 1, off = 0;
    while (off < len) {
        ssize_t w = write(fd, hex + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            goto out;
        }
        off += (size_t)w;
    }
    /* umask may have cleared bits, never added any; fchmod makes 0600 exact. */
    if (fchmod(fd, 0600) != 0 || fsync(fd) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    ret = 0;
out:
    sodium_memzero(hex, sizeof(hex));
    if (close(fd) != 0 && ret == 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        ret = -1;
    }
    if (ret != 0)
        unlink(path);
    return ret;
}
