"""The recommendation engine: pure Python (numpy, scipy, implicit), no Django.

Interface (the Django app around it relies on these names):

- :mod:`.interactions`: ``Purchase(user, item, invoice, day, quantity, country="")`` and
  ``Interactions.from_purchases(purchases, negatives={user: {item, ...}})`` — numpy arrays
  ``user``, ``item``, ``invoice``, ``day`` (ordinal), ``quantity``, ``country`` plus ``users``,
  ``items``, ``user_index``, ``item_index`` and ``negative`` (returned / "not interested" items,
  never recommended to that user).
- :mod:`.model`: ``BlendConfig`` (source weights and parameters; defaults are the tuned values),
  ``train(data, *, today, config=None, item_text=None, progress=None) -> Model``,
  ``Model.recommend(user, k, *, exclude=frozenset(), profiled=True)``,
  ``Model.bought_together(item, k)``, ``Model.popular(k, country=None)``, and
  ``Recommendation(item, score, source, evidence)``. ``source`` is one of ``repeat``, ``cf``,
  ``co_purchase``, ``content``, ``seasonal``, ``popular``; ``evidence`` holds the facts of the
  training data its reason cites (keys per source in :mod:`.evidence`).
  ``profiled=False`` is the non-profiled feed (DSA Art. 38): the same popularity list for every
  user, built from counts of buyers only.
- :mod:`.store`: ``save(model, directory)`` / ``load(directory)`` (``.npz`` + JSON, no pickle).
- :mod:`.evaluate`: the issue-5 protocol (``evaluate(train_dir, test_dir, k=20)``), behind
  ``agora recs evaluate --train DIR --test DIR --k 20 --json``.
"""
