"""Releases: build them, pin them, fetch and verify them, open them as packages.

- ``version``: ``Version`` (SemVer for data) and the bump levels;
- ``errors``: ``RegistryError``, ``DownloadError``, ``ReleaseError``;
- ``settings``: where the release site and the cache are, timeouts, trust opt-in;
- ``paths``: containment of every name that comes from outside;
- ``registry``: ``Release`` / ``ReleaseFile``, the pinned index, the cached and remote ones;
- ``fetch``: bounded, verified downloads into the cache, verify-once;
- ``package``: a release (or only its descriptor) as a ``Package``;
- ``plan``, ``build``, ``changelog``: what version a change justifies, and writing a release.

Nothing heavy is imported here.
"""
