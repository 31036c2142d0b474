# bench/failover/fo-grace.sh - fo with its default stop-grace (the safe
# mode without fencing: survivors wait until a lost node must have stopped
# its resources), beside fo with stop-grace=0 (fo.sh) and Pacemaker.
# Sourced by bench/failover/run; the functions are fo.sh's.

FO_STOP_GRACE=default
# shellcheck source=bench/failover/fo.sh
. "$BENCH/fo.sh"
