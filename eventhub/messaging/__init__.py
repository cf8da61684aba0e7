"""Messages from organizers to an audience of an event (issue 18): registrants, exhibitors, judges,
investors, startups. A message is a sandboxed subject and body, resolved to recipients when it starts,
queued one outbox e-mail per recipient by the job `messages.send`, honouring unsubscribes."""
