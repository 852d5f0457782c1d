"""What disclosures announces to the apps above it (which it never imports)."""

from django.dispatch import Signal

# A person submitted a disclosure: person_id, disclosure. Sent inside the submission's
# transaction: the receivers' writes (statuses recomputed) commit with it.
disclosure_submitted = Signal()
