"""Pure domain of the tickets service: rules T1-T15 as data and functions, no I/O."""
