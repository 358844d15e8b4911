"""The training loop of a run, chosen once from its strategy: Keras' ``fit``, or
`custom_loop.fit_distributed` where ``fit`` fails (MultiWorkerMirroredStrategy in Keras
3.15). Both take ``(model, train, validation, epochs, initial_epoch, callbacks, verbose)``."""

import functools

from keras_resnets.training.custom_loop import fit_distributed


def keras_fit(model, train, validation, epochs, initial_epoch, callbacks, verbose=0):
    """``model.fit`` over the datasets ``train`` and ``validation`` (None: no validation)."""
    return model.fit(train, validation_data=validation, epochs=epochs,
                     initial_epoch=initial_epoch, callbacks=callbacks, verbose=verbose)


def select_loop(strategy, config, info):
    """The loop that trains ``config`` under ``strategy`` on a dataset described by
    ``info``.

    Raises:
        ValueError: multi-worker training of a segmentation dataset or with
            ``test_every_epoch`` (the distributed loop supports neither).
    """
    import tensorflow as tf

    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return keras_fit
    if info.task != "classification":
        raise ValueError("multi-worker training supports classification datasets only")
    if config.test_every_epoch:
        raise ValueError("test_every_epoch is not supported by multi-worker training")
    return functools.partial(fit_distributed, strategy=strategy,
                             global_batch_size=config.batch_size)


__all__ = ["keras_fit", "select_loop"]
