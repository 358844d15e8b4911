"""What a training run raises when it cannot go on, importable without Keras (the command
line reports it in one line)."""


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite."""
