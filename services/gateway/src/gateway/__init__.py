"""The staff gateway: authentication, role-based access, routing and one OpenAPI."""
