"""The Qt-free core of Shopdesk: store, mail parsing, sync, cases, replies, reminders."""
