"""Administration use cases that check the actor before they change anything: campaigns
(create, open, close) and catalogues. The tables and their unchecked primitives stay in
``store``, which lies below ``accounts`` and so cannot check a permission itself.

May use: everything below it (store, accounts, geo, collect, citizen, ...) and the shared base.
"""
