"""simrun - run simulators for the random-CIB tools (oracle, reduce).

find_sim() locates the simulator under test; run() runs one command with
a time limit and returns its exit status, stdout and stderr apart (only
stdout is ever compared).
"""
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", "..", ".."))


def find_sim(explicit):
    """--sim, else $FO_SIM, else fo-sim in a build tree or on $PATH."""
    if explicit:
        return shutil.which(explicit) or explicit
    if os.environ.get("FO_SIM"):
        return os.environ["FO_SIM"]
    for d in ("_build", "_build-san", "."):
        p = os.path.join(TOP, d, "cli", "fo-sim")
        if os.access(p, os.X_OK):
            return p
    return shutil.which("fo-sim")


def run(cmd, timeout):
    """(rc, stdout, stderr); rc None on timeout.  Only stdout is compared:
    warnings on stderr must not land inside a compared section."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace")
        err = (e.stderr or b"").decode(errors="replace")
        return None, out, err + "\n[timed out after %d s]\n" % timeout
    return (p.returncode, p.stdout.decode(errors="replace"),
            p.stderr.decode(errors="replace"))
