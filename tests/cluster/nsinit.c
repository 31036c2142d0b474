/*
 * nsinit.c - PID 1 of a test node's PID namespace (tests/cluster/lib.sh).
 *
 * Reaps every process that ends up as its child, so a killed daemon does
 * not linger as a zombie that `kill -0` still finds (DESIGN.md "Running
 * agents"). SIGTERM or SIGINT kills everything in the namespace and exits;
 * SIGKILL from the host does the same at once (the kernel ends the
 * namespace with its init). No I/O, no allocation.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

int
main(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGCHLD) {
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
			continue;
		}
		kill(-1, SIGKILL);
		exit(0);
	}
}
