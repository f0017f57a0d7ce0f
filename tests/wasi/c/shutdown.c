/* shutdown() on descriptors that are not sockets, as wasi-testsuite's sock_shutdown-not_sock and
 * sock_shutdown-invalid_fd check it: stdout is not a socket (ENOTSOCK); fd 3 is EBADF when
 * nothing is preopened (the testsuite's runner preopens nothing) and ENOTSOCK when it is a
 * preopened directory. */
#include "common.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    int r = shutdown(STDOUT_FILENO, SHUT_RD);
    check("shutdown(stdout)", r == 0 ? 0 : errno, ENOTSOCK);
    r = shutdown(3, SHUT_RD);
    int want = find_preopen("/") == 3 ? ENOTSOCK : EBADF;
    check("shutdown(3)", r == 0 ? 0 : errno, want);
    return finish();
}
