"""What activities announces to the apps above it (which it never imports)."""

from django.dispatch import Signal

# A reviewer approved or rejected a session: child (status recomputed), now. Sent inside the
# decision's transaction: receivers' writes commit with it or not at all.
child_decided = Signal()
