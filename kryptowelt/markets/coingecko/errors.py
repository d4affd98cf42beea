"""Errors of the CoinGecko client: what the callers (syncs, commands) catch and record."""


class CoinGeckoError(Exception):
    """Any failure to get usable data from CoinGecko."""


class CoinGeckoUnavailable(CoinGeckoError):
    """Network error, timeout or server error (5xx), after all retries."""


class CoinGeckoRateLimited(CoinGeckoError):
    """HTTP 429; `retry_after` is the number of seconds CoinGecko asked us to wait."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class CoinGeckoBadPayload(CoinGeckoError):
    """The response is not JSON, or not shaped like CoinGecko's answer at all."""


class CoinGeckoClientError(CoinGeckoError):
    """A 4xx other than 429: wrong key, unknown coin, … (not retried)."""


class CoinGeckoImageError(CoinGeckoError):
    """A coin logo could not be downloaded."""


class ImageHostUnavailable(CoinGeckoImageError):
    """The logo host did not answer usefully: network error, timeout, an answer too slow or
    too large, a server error. Counts towards the host's circuit breaker."""


class ImageRejected(CoinGeckoImageError):
    """Only this logo is unusable: host not allowed, 4xx, not an image."""
