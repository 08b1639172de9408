"""Follow-up reminders: rules computed on demand over the store, with an injected clock."""
