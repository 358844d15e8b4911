"""Altair charts as every page draws them: one colour per network kind, axis numbers in the
chosen language."""

from keras_resnets_app.language import portuguese

PLAIN_COLOR, RESIDUAL_COLOR = "#d62728", "#1f77b4"


def kind_scale(plain, residual):
    """An Altair colour scale: the plain network red, the residual one blue."""
    import altair as alt

    return alt.Scale(domain=[plain, residual], range=[PLAIN_COLOR, RESIDUAL_COLOR])


def chart(container, altair_chart, **kwargs):
    """Shows an Altair chart in ``container`` (``st`` or a column), its axis numbers with the
    language's decimal and thousands separators (Vega's number locale)."""
    if portuguese():
        import altair as alt

        altair_chart = altair_chart.copy()
        config = altair_chart.config if altair_chart.config is not alt.Undefined \
            else alt.Config()
        config.locale = alt.Locale(number=alt.NumberLocale(
            decimal=",", thousands=".", grouping=[3], currency=["R$ ", ""]))
        altair_chart.config = config
    return container.altair_chart(altair_chart, **kwargs)
