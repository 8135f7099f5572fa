"""veille: French news to structured political event data (CAMEO, PLOVER, Goldstein)."""

import logging

__version__ = "0.1.0"
__all__ = ["__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
