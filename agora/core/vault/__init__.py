"""The personal-data vault: every buyer's name, email, phone and addresses sealed with AES-GCM
under a key of their own, the keys wrapped by the platform key (see :mod:`.crypto`,
:mod:`.keys`, :mod:`.people`). Destroying a person's key (crypto-shredding) makes every copy of
their sealed data unreadable at once, backups included."""
