"""Pure chart builders (plotly figures from plain data); no database, no Streamlit."""

from stadtraum.charts.radar import RadarSeries, download_config, radar_figure

__all__ = ["RadarSeries", "download_config", "radar_figure"]
