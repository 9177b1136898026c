"""HTTP routes of the gateway: they translate HTTP and call the use cases."""
