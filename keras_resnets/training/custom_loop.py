"""A training loop written against `tf.distribute` directly, for the strategies whose
`model.fit` path fails in Keras 3.15 (MultiWorkerMirroredStrategy: its trainer reduces the
input batch and the scalar logs across workers and errors out, keras-team/keras#20329).

It runs the same callbacks as `fit` (epoch and train-batch hooks, ``stop_training``) and
logs ``loss``, ``accuracy``, ``val_loss`` and ``val_accuracy``. Each replica's loss is its
examples' summed loss divided by the *global* batch, and the Keras optimizer all-reduces
(sums) gradients across replicas, so an update equals the single-device update on the
global batch.
"""

import keras

from keras_resnets.training.evaluation import (
    Evaluator,
    labels_and_predictions,
    per_element_loss,
)


def fit_distributed(model, train_ds, val_ds, epochs, initial_epoch, callbacks, verbose=0, *,
                    strategy, global_batch_size):
    """Trains ``model`` (compiled in ``strategy.scope()``) from ``initial_epoch`` to
    ``epochs``; returns the list of per-epoch logs. ``verbose`` is accepted for the
    signature of `loops.keras_fit` and ignored: callbacks report progress."""
    import tensorflow as tf

    per_example = per_element_loss(model.loss)

    def train_step(x, y):
        with tf.GradientTape() as tape:
            probs = model(x, training=True)
            loss = tf.reduce_sum(per_example(y, probs)) / global_batch_size
        grads = tape.gradient(loss, model.trainable_variables)
        model.optimizer.apply_gradients(zip(grads, model.trainable_variables))
        count = tf.cast(tf.shape(x)[0], tf.float32)
        return loss * global_batch_size, _correct(y, probs), count

    train_fn = _reduced(strategy, train_step)
    evaluator = Evaluator(model, strategy=strategy)
    train_dist = strategy.experimental_distribute_dataset(train_ds)

    callback_list = keras.callbacks.CallbackList(callbacks, model=model)
    model.stop_training = False
    history = []
    callback_list.on_train_begin()
    for epoch in range(initial_epoch, epochs):
        callback_list.on_epoch_begin(epoch)
        totals = [0.0, 0.0, 0.0]
        for step, batch in enumerate(train_dist):
            loss, hits, count = (float(v) for v in train_fn(batch))
            totals = [totals[0] + loss, totals[1] + hits, totals[2] + count]
            logs = {"loss": loss / count, "accuracy": hits / count}
            callback_list.on_train_batch_end(step, logs)
            if model.stop_training:
                break
        logs = {"loss": totals[0] / max(totals[2], 1), "accuracy": totals[1] / max(totals[2], 1)}
        if val_ds is not None and not model.stop_training:
            logs.update({f"val_{k}": v for k, v in evaluator(val_ds).items()})
        callback_list.on_epoch_end(epoch, logs)
        history.append(logs)
        if model.stop_training:
            break
    callback_list.on_train_end()
    return history


def _correct(y, probs):
    import tensorflow as tf

    labels, predicted = labels_and_predictions(y, probs)
    return tf.reduce_sum(tf.cast(tf.equal(predicted, labels), tf.float32))


def _reduced(strategy, step):
    """``step`` run on every replica, each returned value summed over replicas."""
    import tensorflow as tf

    @tf.function
    def run(batch):
        values = strategy.run(step, args=batch)
        return [strategy.reduce(tf.distribute.ReduceOp.SUM, v, axis=None) for v in values]

    return run
