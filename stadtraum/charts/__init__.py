"""Pure chart builders (plotly figures from plain data); no database, no Streamlit.

May use: the shared base only. It sits below ``analysis`` so that the area profile, the wave
view and the focus group can hand their figures over as :class:`RadarSeries`.
"""

from stadtraum.charts.radar import RadarSeries, download_config, radar_figure

__all__ = ["RadarSeries", "download_config", "radar_figure"]
