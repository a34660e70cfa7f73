"""Problem types of the transparency log: clients key on ``type``, the detail names the value."""

from agora.core.errors import problem_type

PROOF_OUT_OF_RANGE = problem_type(
    "trace-proof-out-of-range",
    "The proof asks for indices or sizes that do not fit together",
    400,
    "An index must be below the tree size, the first size of a consistency proof at most the "
    "second, and every number zero or more; the detail names the value.",
)
TREE_SIZE_UNKNOWN = problem_type(
    "trace-tree-size-unknown",
    "The log has not grown to that size",
    404,
    "The requested tree size (or entry range) goes past the entries logged so far; the detail "
    "says how many there are. Ask for a size no larger than the latest checkpoint's.",
)
ENTRY_NOT_LOGGED = problem_type(
    "trace-entry-not-logged",
    "Nothing with this kind and reference is in the log",
    404,
    "No entry of that kind carries that reference; check both, as the detail shows them.",
)
ENTRY_NOT_YET_SIGNED = problem_type(
    "trace-entry-not-yet-signed",
    "The entry is logged but not yet covered by a signed tree head",
    409,
    "A checkpoint is signed every minute; the bundle can be built once one covers the entry's "
    "index. The detail names the index and the latest checkpoint's size.",
)
