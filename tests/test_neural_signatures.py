"""The training parameters repeated in every neural model's __init__ cannot drift apart."""

import inspect

import pytest

from skseq import neural
from skseq.neural._base import TRAINING_PARAMETERS, TRAINING_PARAMETERS_DOC, BaseSequenceRegressor

MODELS = [
    getattr(neural, name)
    for name in neural.__all__
    if isinstance(getattr(neural, name), type)
    and issubclass(getattr(neural, name), BaseSequenceRegressor)
]
ARCHITECTURE = {"hidden_size", "num_layers", "dropout"}


def test_every_neural_model_is_found():
    assert {"LSTMRegressor", "GRURegressor", "RNNRegressor", "AttentionLSTMRegressor",
            "AttentionGRURegressor", "ConvRegressor", "TransformerRegressor",
            "Seq2SeqRegressor"} <= {model.__name__ for model in MODELS}  # fmt: skip


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_signature_has_the_shared_training_parameters_and_defaults(model):
    parameters = inspect.signature(model.__init__).parameters
    table = {parameter.name: parameter.default for parameter in TRAINING_PARAMETERS}
    assert {name: parameters[name].default for name in table} == table
    # The training parameters come last, in the table's order, after the model's own.
    names = [name for name in parameters if name != "self"]
    assert names[-len(TRAINING_PARAMETERS) :] == [p.name for p in TRAINING_PARAMETERS]
    assert ARCHITECTURE <= set(names)
    # Every parameter is keyword-only and appears in the constraints and the docstring.
    assert all(parameters[name].kind is inspect.Parameter.KEYWORD_ONLY for name in names)
    assert set(names) == set(model._parameter_constraints)
    for name in names:
        assert f"    {name} : " in model.__doc__, f"{name} is undocumented in {model.__name__}"


def test_documented_defaults_are_rendered_from_the_table():
    for parameter in TRAINING_PARAMETERS:
        default = (
            repr(parameter.default) if isinstance(parameter.default, str) else parameter.default
        )
        assert f"    {parameter.name} : {parameter.type}, default={default}\n" in (
            TRAINING_PARAMETERS_DOC
        )


def test_the_base_declares_no_defaults_and_cannot_be_built():
    parameters = inspect.signature(BaseSequenceRegressor.__init__).parameters
    assert all(p.default is inspect.Parameter.empty for n, p in parameters.items() if n != "self")
    with pytest.raises(TypeError, match="abstract"):
        BaseSequenceRegressor(**{p.name: p.default for p in TRAINING_PARAMETERS},
                              hidden_size=4, num_layers=1, dropout=0.0)  # fmt: skip
