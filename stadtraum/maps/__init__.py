"""Map builders (pure, no Streamlit): folium maps that render without internet access.

- ``assets``: Leaflet served by the app itself (``static/vendor/leaflet``), never a CDN
- ``basemap``: the configurable base map (none, OpenStreetMap, basemap.de)
- ``colours``: the fixed 1..7 scale, the diverging scale for change, grey for suppressed
- ``legend``: legend data and its HTML, drawn outside the map
- ``choropleth``: GeoJSON + values per area -> a folium map (escaped names, tooltips)
- ``display_geojson``: the cached display geometry of an area level
"""
