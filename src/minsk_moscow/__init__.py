"""minsk_moscow: how English-language news described Minsk-Moscow relations, 2020-2021.

The public API is importable from the package top level::

    import minsk_moscow as mm
    corpus = mm.load_corpus()               # or mm.load_corpus("my/articles/")
    sentences = mm.sentence_table(corpus)
    mm.tokenize("Belarussian leader Lukashenka's ties")

Modules: :mod:`.paths` (every path), :mod:`.aliases` (spelling variants, actors, stop
words), :mod:`.text` (cleaning, splitting, tokenizing), :mod:`.corpus` (loading),
:mod:`.plotting` (style and saving figures).
"""

from . import aliases, cache, config, corpus, keywords, notebook, parallel, paths, plotting, steps, text, tone, topics
from .aliases import *  # noqa: F403 - each module lists its public names in __all__
from .cache import *  # noqa: F403
from .config import *  # noqa: F403
from .corpus import *  # noqa: F403
from .notebook import *  # noqa: F403
from .parallel import *  # noqa: F403
from .paths import *  # noqa: F403
from .plotting import *  # noqa: F403
from .steps import *  # noqa: F403
from .text import *  # noqa: F403

# Analysis modules (one per notebook) add their two lines here.
from .keywords import *  # noqa: F403
from .topics import *  # noqa: F403
from .tone import *  # noqa: F403
from .findings import *  # noqa: F403

__version__ = "0.1.0"

__all__ = [
    *aliases.__all__,
    *paths.__all__,
    *config.__all__,
    *cache.__all__,
    *text.__all__,
    *corpus.__all__,
    *plotting.__all__,
    *steps.__all__,
    *notebook.__all__,
    *parallel.__all__,
    *keywords.__all__,
    *topics.__all__,
    *tone.__all__,
    *findings.__all__,
]
