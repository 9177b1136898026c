"""Common library of the customer-service operations services."""
