"""partyorg on the command line: import lists from spreadsheets through the gateway."""
