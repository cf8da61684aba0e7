"""Helpers the tests of several features share (a feature's own helpers stay in its folder: helpers.py,
factories.py). Fixtures from `fixtures` and `demo` are registered in tests/conftest.py.

api            assertions for what every /api/v1 answer promises (error shape, lists, events, registrations)
access_matrix  who may use a route (`Access`), every route, asking one as a role of the world
database       creating, emptying and naming test databases
demo           the 2020 demo loaded once per session, copied into each test that reads it (`demo` fixture)
feature_world  the world's objects of contests, booths, certificates and matchmaking
fixtures       accounts to act as (`organizer`, `participant`, their headers), a live `server`
fuzzing        Hypothesis strategies for hostile API input
icu_names      generated Vietnamese names and ICU's order for them
live           a real HTTP server in a thread; a free port
mail           an SMTP collector; reading messages and their links
pdf            reading PDFs back: text, pages, images, rendered pages
personal_data  every database cell that still names a person
racing         jobs or HTTP requests started at the same moment
world          one event with everything in it, people of every role, URLs for every route
"""
