"""The consortium: members, declared interests, proposals, signed votes, decisions, disputes."""
