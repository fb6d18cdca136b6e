/*
 * A user-space stand-in for dm-log-writes (this machine's kernel has no device-mapper): loaded
 * with LD_PRELOAD into the agent, it records, in the order they complete, every change the process
 * makes under one directory (DCE_WRITELOG_DIR) through the C library calls .NET's System.Native and
 * the agent's own P/Invokes use, and every write to stdout/stderr (the agent's reports), into a
 * binary log (DCE_WRITELOG). PowerLossReplay.cs rebuilds the directory at cut points from it.
 *
 * Record: u8 op, u32 alen, u32 blen, i64 ino, i64 x, i64 y, then alen bytes a, blen bytes b; for a
 * write or truncation x is the offset or length and y the file's modification time after it (ns).
 * Writes, truncations and namespace changes are logged under one lock together with the call, so
 * the log order is an order they really happened in. An fsync is logged when it *starts*: a write
 * logged before it is covered; one racing with it is not (POSIX promises nothing for it either).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum { OP_OPEN = 1, OP_TRUNC, OP_WRITE, OP_FSYNC, OP_DSYNC, OP_RENAME, OP_LINK, OP_UNLINK, OP_MKDIR, OP_RMDIR, OP_OUT, OP_UNSUPPORTED };
enum { FD_NONE = 0, FD_FILE, FD_DIR, FD_OUT };
#define MAX_FDS 65536

struct tracked { int kind; int64_t ino; char *path; };

static struct tracked fds[MAX_FDS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int log_fd = -1;
static char watch[PATH_MAX];
static size_t watch_len;

static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static int (*real_ftruncate)(int, off_t);
static int (*real_fallocate)(int, int, off_t, off_t);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_link)(const char *, const char *);
static int (*real_unlink)(const char *);
static int (*real_unlinkat)(int, const char *, int);
static int (*real_mkdir)(const char *, mode_t);
static int (*real_rmdir)(const char *);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_close)(int);
static int (*real_dup2)(int, int);
static int (*real_fcntl)(int, int, ...);
static ssize_t (*real_sendfile)(int, int, off_t *, size_t);

#define RESOLVE(name, symbol) name = dlsym(RTLD_NEXT, symbol)

__attribute__((constructor)) static void init(void)
{
    RESOLVE(real_open, "open64"); RESOLVE(real_openat, "openat64"); RESOLVE(real_write, "write");
    RESOLVE(real_pwrite, "pwrite64"); RESOLVE(real_writev, "writev"); RESOLVE(real_pwritev, "pwritev64");
    RESOLVE(real_ftruncate, "ftruncate64"); RESOLVE(real_fallocate, "fallocate64"); RESOLVE(real_rename, "rename");
    RESOLVE(real_renameat, "renameat"); RESOLVE(real_link, "link"); RESOLVE(real_unlink, "unlink");
    RESOLVE(real_unlinkat, "unlinkat"); RESOLVE(real_mkdir, "mkdir"); RESOLVE(real_rmdir, "rmdir");
    RESOLVE(real_fsync, "fsync"); RESOLVE(real_fdatasync, "fdatasync"); RESOLVE(real_close, "close");
    RESOLVE(real_dup2, "dup2"); RESOLVE(real_fcntl, "fcntl"); RESOLVE(real_sendfile, "sendfile64");
    const char *log = getenv("DCE_WRITELOG"), *dir = getenv("DCE_WRITELOG_DIR");
    if (!log || !dir || !realpath(dir, watch)) return;
    watch_len = strlen(watch);
    /* No O_TRUNC: a child process that inherits LD_PRELOAD must not wipe the parent's log. */
    log_fd = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

static void emit(uint8_t op, const char *a, size_t alen, const void *b, size_t blen, int64_t ino, int64_t x, int64_t y)
{
    unsigned char head[1 + 4 + 4 + 8 * 3];
    uint32_t al = (uint32_t)alen, bl = (uint32_t)blen;
    head[0] = op;
    memcpy(head + 1, &al, 4); memcpy(head + 5, &bl, 4);
    memcpy(head + 9, &ino, 8); memcpy(head + 17, &x, 8); memcpy(head + 25, &y, 8);
    struct iovec parts[3] = { { head, sizeof head }, { (void *)a, alen }, { (void *)b, blen } };
    size_t total = sizeof head + alen + blen, done = 0;
    while (done < total) {
        /* One writev per record (O_APPEND): records from other processes never interleave inside one. */
        ssize_t n = real_writev(log_fd, parts, 3);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0 || (size_t)n == total) return;
        done += (size_t)n;
        for (int i = 0; i < 3; i++) {
            size_t take = (size_t)n < parts[i].iov_len ? (size_t)n : parts[i].iov_len;
            parts[i].iov_base = (char *)parts[i].iov_base + take; parts[i].iov_len -= take; n -= (ssize_t)take;
        }
    }
}

/* The absolute form of path (relative to dirfd, or the working directory), or 0 when not under the watched directory. */
static int absolute(int dirfd, const char *path, char *out)
{
    if (log_fd < 0 || !path) return 0;
    char base[PATH_MAX];
    if (path[0] == '/') {
        snprintf(out, PATH_MAX, "%s", path);
    } else {
        if (dirfd == AT_FDCWD) {
            if (!getcwd(base, sizeof base)) return 0;
        } else {
            char link[64];
            snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
            ssize_t n = readlink(link, base, sizeof base - 1);
            if (n < 0) return 0;
            base[n] = 0;
        }
        if (snprintf(out, PATH_MAX, "%s/%s", base, path) >= PATH_MAX) return 0;
    }
    return strncmp(out, watch, watch_len) == 0 && (out[watch_len] == '/' || out[watch_len] == 0);
}

/* The file's modification time after a change (ns): the catalog's log guard fingerprints it, so a rebuilt state must keep it. */
static int64_t mtime_of(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 ? (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec : 0;
}

static void track_open(int fd, const char *abs, int flags)
{
    struct stat st;
    if (fd < 0 || fd >= MAX_FDS || fstat(fd, &st) != 0) return;
    free(fds[fd].path);
    fds[fd].path = strdup(abs);
    fds[fd].ino = (int64_t)st.st_ino;
    fds[fd].kind = S_ISDIR(st.st_mode) ? FD_DIR : FD_FILE;
    if (fds[fd].kind == FD_FILE) {
        emit(OP_OPEN, abs, strlen(abs), NULL, 0, fds[fd].ino, flags, 0);
        if (flags & O_TRUNC) emit(OP_TRUNC, NULL, 0, NULL, 0, fds[fd].ino, 0, mtime_of(fd));
    }
}

static int do_open(int dirfd, const char *path, int flags, mode_t mode)
{
    char abs[PATH_MAX];
    if (!absolute(dirfd, path, abs)) return real_openat(dirfd, path, flags, mode);
    pthread_mutex_lock(&lock);
    int fd = real_openat(dirfd, path, flags, mode);
    int saved = errno;
    track_open(fd, abs, flags);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return fd;
}

#define MODE_ARG(flags) mode_t mode = 0; if ((flags) & (O_CREAT | __O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, int); va_end(ap); }

int open(const char *path, int flags, ...) { MODE_ARG(flags); return do_open(AT_FDCWD, path, flags, mode); }
int open64(const char *path, int flags, ...) { MODE_ARG(flags); return do_open(AT_FDCWD, path, flags, mode); }
int openat(int dirfd, const char *path, int flags, ...) { MODE_ARG(flags); return do_open(dirfd, path, flags, mode); }
int openat64(int dirfd, const char *path, int flags, ...) { MODE_ARG(flags); return do_open(dirfd, path, flags, mode); }
int creat(const char *path, mode_t mode) { return do_open(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode); }
int creat64(const char *path, mode_t mode) { return do_open(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode); }

static int is_file(int fd) { return log_fd >= 0 && fd >= 0 && fd < MAX_FDS && fds[fd].kind == FD_FILE; }
/* stdout/stderr, or a duplicate of them: .NET's Console writes through fcntl(1, F_DUPFD_CLOEXEC). */
static int is_output(int fd) { return log_fd >= 0 && (fd == 1 || fd == 2 || (fd >= 0 && fd < MAX_FDS && fds[fd].kind == FD_OUT)); }

static void emit_iov(uint8_t op, int64_t ino, int64_t offset, int64_t mtime, const struct iovec *iov, int count, size_t written)
{
    char *data = malloc(written ? written : 1);
    size_t at = 0;
    for (int i = 0; i < count && at < written; i++) {
        size_t take = iov[i].iov_len < written - at ? iov[i].iov_len : written - at;
        memcpy(data + at, iov[i].iov_base, take);
        at += take;
    }
    emit(op, NULL, 0, data, written, ino, offset, mtime);
    free(data);
}

ssize_t write(int fd, const void *buf, size_t count)
{
    if (!is_file(fd) && !is_output(fd)) return real_write(fd, buf, count);
    pthread_mutex_lock(&lock);
    ssize_t n = real_write(fd, buf, count);
    int saved = errno;
    if (n > 0) {
        if (is_output(fd)) emit(OP_OUT, NULL, 0, buf, (size_t)n, fd, 0, 0);
        else emit(OP_WRITE, NULL, 0, buf, (size_t)n, fds[fd].ino, lseek(fd, 0, SEEK_CUR) - n, mtime_of(fd));
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return n;
}

static ssize_t do_pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    if (!is_file(fd)) return real_pwrite(fd, buf, count, offset);
    pthread_mutex_lock(&lock);
    ssize_t n = real_pwrite(fd, buf, count, offset);
    int saved = errno;
    if (n > 0) emit(OP_WRITE, NULL, 0, buf, (size_t)n, fds[fd].ino, offset, mtime_of(fd));
    pthread_mutex_unlock(&lock);
    errno = saved;
    return n;
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) { return do_pwrite(fd, buf, count, offset); }
ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset) { return do_pwrite(fd, buf, count, offset); }

ssize_t writev(int fd, const struct iovec *iov, int count)
{
    if (fd == log_fd || (!is_file(fd) && !is_output(fd))) return real_writev(fd, iov, count);
    pthread_mutex_lock(&lock);
    ssize_t n = real_writev(fd, iov, count);
    int saved = errno;
    if (n > 0) {
        if (is_output(fd)) emit_iov(OP_OUT, fd, 0, 0, iov, count, (size_t)n);
        else emit_iov(OP_WRITE, fds[fd].ino, lseek(fd, 0, SEEK_CUR) - n, mtime_of(fd), iov, count, (size_t)n);
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return n;
}

static ssize_t do_pwritev(int fd, const struct iovec *iov, int count, off_t offset)
{
    if (!is_file(fd)) return real_pwritev(fd, iov, count, offset);
    pthread_mutex_lock(&lock);
    ssize_t n = real_pwritev(fd, iov, count, offset);
    int saved = errno;
    if (n > 0) emit_iov(OP_WRITE, fds[fd].ino, offset, mtime_of(fd), iov, count, (size_t)n);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return n;
}

ssize_t pwritev(int fd, const struct iovec *iov, int count, off_t offset) { return do_pwritev(fd, iov, count, offset); }
ssize_t pwritev64(int fd, const struct iovec *iov, int count, off_t offset) { return do_pwritev(fd, iov, count, offset); }

static int do_ftruncate(int fd, off_t length)
{
    if (!is_file(fd)) return real_ftruncate(fd, length);
    pthread_mutex_lock(&lock);
    int r = real_ftruncate(fd, length);
    int saved = errno;
    if (r == 0) emit(OP_TRUNC, NULL, 0, NULL, 0, fds[fd].ino, length, mtime_of(fd));
    pthread_mutex_unlock(&lock);
    errno = saved;
    return r;
}

int ftruncate(int fd, off_t length) { return do_ftruncate(fd, length); }
int ftruncate64(int fd, off_t length) { return do_ftruncate(fd, length); }

static int do_fallocate(int fd, int mode, off_t offset, off_t length)
{
    if (!is_file(fd)) return real_fallocate(fd, mode, offset, length);
    pthread_mutex_lock(&lock);
    struct stat before;
    int had = fstat(fd, &before) == 0;
    int r = real_fallocate(fd, mode, offset, length);
    int saved = errno;
    /* Only a size change matters to the content; FALLOC_FL_KEEP_SIZE (1) keeps it. */
    if (r == 0 && !(mode & 1) && had && offset + length > before.st_size)
        emit(OP_TRUNC, NULL, 0, NULL, 0, fds[fd].ino, offset + length, mtime_of(fd));
    pthread_mutex_unlock(&lock);
    errno = saved;
    return r;
}

int fallocate(int fd, int mode, off_t offset, off_t length) { return do_fallocate(fd, mode, offset, length); }
int fallocate64(int fd, int mode, off_t offset, off_t length) { return do_fallocate(fd, mode, offset, length); }

static int do_sync(int fd, int (*real)(int))
{
    if (log_fd >= 0 && fd >= 0 && fd < MAX_FDS && fds[fd].kind != FD_NONE) {
        pthread_mutex_lock(&lock);
        if (fds[fd].kind == FD_DIR) emit(OP_DSYNC, fds[fd].path, strlen(fds[fd].path), NULL, 0, fds[fd].ino, 0, 0);
        else emit(OP_FSYNC, NULL, 0, NULL, 0, fds[fd].ino, 0, 0);
        pthread_mutex_unlock(&lock);
    }
    return real(fd);
}

int fsync(int fd) { return do_sync(fd, real_fsync); }
int fdatasync(int fd) { return do_sync(fd, real_fdatasync); }

/* Two paths, one call, one record; watched if either path is. */
static int two_paths(uint8_t op, int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int (*call)(void))
{
    char a[PATH_MAX], b[PATH_MAX];
    int wa = absolute(olddirfd, oldpath, a), wb = absolute(newdirfd, newpath, b);
    if (!wa && !wb) return call();
    pthread_mutex_lock(&lock);
    int r = call();
    int saved = errno;
    if (r == 0) {
        if (wa && wb) emit(op, a, strlen(a), b, strlen(b), 0, 0, 0);
        else emit(OP_UNSUPPORTED, "rename or link across the watched directory's edge", 52, NULL, 0, 0, 0, 0);
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return r;
}

static __thread const char *arg_old, *arg_new;
static __thread int arg_olddir, arg_newdir;
static int call_renameat(void) { return real_renameat(arg_olddir, arg_old, arg_newdir, arg_new); }
static int call_link(void) { return real_link(arg_old, arg_new); }

int rename(const char *oldpath, const char *newpath)
{
    arg_olddir = arg_newdir = AT_FDCWD; arg_old = oldpath; arg_new = newpath;
    return two_paths(OP_RENAME, AT_FDCWD, oldpath, AT_FDCWD, newpath, call_renameat);
}

int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
    arg_olddir = olddirfd; arg_newdir = newdirfd; arg_old = oldpath; arg_new = newpath;
    return two_paths(OP_RENAME, olddirfd, oldpath, newdirfd, newpath, call_renameat);
}

int link(const char *oldpath, const char *newpath)
{
    arg_old = oldpath; arg_new = newpath;
    return two_paths(OP_LINK, AT_FDCWD, oldpath, AT_FDCWD, newpath, call_link);
}

static int one_path(uint8_t op, int dirfd, const char *path, int (*call)(void))
{
    char a[PATH_MAX];
    if (!absolute(dirfd, path, a)) return call();
    pthread_mutex_lock(&lock);
    int r = call();
    int saved = errno;
    if (r == 0) emit(op, a, strlen(a), NULL, 0, 0, 0, 0);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return r;
}

static __thread int arg_flags;
static __thread mode_t arg_mode;
static int call_unlink(void) { return real_unlink(arg_old); }
static int call_unlinkat(void) { return real_unlinkat(arg_olddir, arg_old, arg_flags); }
static int call_mkdir(void) { return real_mkdir(arg_old, arg_mode); }
static int call_rmdir(void) { return real_rmdir(arg_old); }

int unlink(const char *path) { arg_old = path; return one_path(OP_UNLINK, AT_FDCWD, path, call_unlink); }
int unlinkat(int dirfd, const char *path, int flags)
{
    arg_olddir = dirfd; arg_old = path; arg_flags = flags;
    return one_path((flags & AT_REMOVEDIR) ? OP_RMDIR : OP_UNLINK, dirfd, path, call_unlinkat);
}
int mkdir(const char *path, mode_t mode) { arg_old = path; arg_mode = mode; return one_path(OP_MKDIR, AT_FDCWD, path, call_mkdir); }
int rmdir(const char *path) { arg_old = path; return one_path(OP_RMDIR, AT_FDCWD, path, call_rmdir); }

int close(int fd)
{
    if (log_fd >= 0 && fd == log_fd) { errno = EBADF; return -1; } /* never let the process close our log */
    if (fd >= 0 && fd < MAX_FDS && fds[fd].kind != FD_NONE) {
        pthread_mutex_lock(&lock);
        fds[fd].kind = FD_NONE;
        free(fds[fd].path);
        fds[fd].path = NULL;
        pthread_mutex_unlock(&lock);
    }
    return real_close(fd);
}

static void track_dup(int oldfd, int newfd)
{
    if (log_fd < 0 || newfd < 0 || newfd >= MAX_FDS) return;
    pthread_mutex_lock(&lock);
    free(fds[newfd].path);
    fds[newfd].path = NULL;
    fds[newfd].kind = FD_NONE;
    if (oldfd == 1 || oldfd == 2) fds[newfd].kind = FD_OUT;
    else if (oldfd >= 0 && oldfd < MAX_FDS && fds[oldfd].kind != FD_NONE) {
        fds[newfd] = fds[oldfd];
        fds[newfd].path = fds[oldfd].path ? strdup(fds[oldfd].path) : NULL;
    }
    pthread_mutex_unlock(&lock);
}

int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    int r = real_fcntl(fd, cmd, arg);
    if (r >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)) {
        int saved = errno;
        track_dup(fd, r);
        errno = saved;
    }
    return r;
}

int fcntl64(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return fcntl(fd, cmd, arg);
}

int dup2(int oldfd, int newfd)
{
    int r = real_dup2(oldfd, newfd);
    if (r >= 0) track_dup(oldfd, newfd);
    return r;
}

int dup(int oldfd)
{
    int r = real_fcntl(oldfd, F_DUPFD, 0);
    if (r >= 0) track_dup(oldfd, r);
    return r;
}

ssize_t sendfile64(int out, int in, off_t *offset, size_t count)
{
    if (is_file(out)) {
        pthread_mutex_lock(&lock);
        emit(OP_UNSUPPORTED, "sendfile into a watched file", 28, NULL, 0, 0, 0, 0);
        pthread_mutex_unlock(&lock);
    }
    return real_sendfile(out, in, offset, count);
}

/*
 * A P/Invoke such as [DllImport("libc")] is bound with dlsym(handle, name) on libc's own handle,
 * which skips LD_PRELOAD's interposition (the agent's directory fsync goes that way). Lookups of a
 * function this file wraps get the wrapper instead.
 */
static const char *const wrapped[] = {
    "open", "open64", "openat", "openat64", "creat", "creat64", "write", "pwrite", "pwrite64", "writev",
    "pwritev", "pwritev64", "ftruncate", "ftruncate64", "fallocate", "fallocate64", "fsync", "fdatasync",
    "rename", "renameat", "link", "unlink", "unlinkat", "mkdir", "rmdir", "close", "dup", "dup2", "fcntl", "fcntl64",
};

void *dlsym(void *handle, const char *name)
{
    static void *(*real_dlsym)(void *, const char *);
    if (!real_dlsym) {
        real_dlsym = (void *(*)(void *, const char *))dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34");
        if (!real_dlsym) real_dlsym = (void *(*)(void *, const char *))dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.2.5");
    }
    void *found = real_dlsym(handle, name);
    if (found && handle != RTLD_NEXT && handle != RTLD_DEFAULT) {
        for (size_t i = 0; i < sizeof wrapped / sizeof wrapped[0]; i++) {
            if (strcmp(name, wrapped[i]) == 0) {
                /* The global scope finds this library's wrapper first: it is preloaded. */
                void *ours = real_dlsym(RTLD_DEFAULT, name);
                return ours ? ours : found;
            }
        }
    }
    return found;
}
