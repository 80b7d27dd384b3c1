/** English user-facing texts. `ko.ts` must define every key (the type checker enforces it). */
export const en = {
  "status.queued": "Queued behind the conversation's current run.",
  "status.understanding": "Understanding the request...",
  "status.planning": "Planning the work...",
  "status.replanning": "Some steps failed; revising the plan once...",
  "status.executing": "Running the plan...",
  "status.waiting_approval": "Waiting for approval.",
  "status.aggregating": "Putting the results together...",
  "status.generating": "Writing the answer...",
  "status.done": "Done.",
  "status.resuming": "Resuming after the decision...",

  "error.input_empty": "Your message is empty. Please write what you would like me to do.",
  "error.input_too_long":
    "Your message has {length} characters; I can take at most {max}. Please shorten it or attach the text as a file.",
  "error.format_unknown": 'I don\'t know the format "{format}". Choose one of: {formats}.',
  "error.command_unknown": 'I don\'t know the command "{command}". Type /help for the list.',
  "error.checkpoint_not_found":
    'There is no checkpoint "{checkpoint}" in this conversation. /history lists the ones you can rewind to.',
  "error.nothing_to_rewind": "This conversation has only {turns} turn(s); I can rewind at most that many.",
  "error.approval_unknown":
    "I can't find that approval request. It may belong to a conversation that was forgotten.",
  "error.approval_not_pending": "This request was already decided ({decision} by {by}); nothing was changed.",
  "error.approval_not_allowed":
    "Only the person who asked ({requester}) or a configured approver can decide this step; nothing was changed.",
  "error.approval_expired": "This approval request expired at {expires_at}; the step was not run.",
  "error.approval_pending":
    "This conversation is waiting for a decision on step {step} ({agent}). Approve or reject it first; your new message was not started.",
  "error.llm_invalid_output":
    "The language model gave an answer I could not use, even after asking it to correct itself. Nothing was changed; please try again or rephrase.",
  "error.llm_timeout":
    "The language model did not answer in time. Nothing was changed; please try again in a moment.",
  "error.llm_unavailable":
    "The language model is not reachable right now ({detail}). Nothing was changed; please try again later.",
  "error.llm_rate_limited":
    "The language model is busy (rate limited). Nothing was changed; please try again in a minute.",
  "error.llm_aborted": "The run was stopped before it finished. Nothing was changed.",
  "error.store_locked": "Another Octostrator process is using this data directory.",
  "error.store_unavailable":
    "The database is not reachable right now. Nothing was changed; please try again later.",
  "error.run_failed":
    "Something went wrong while working on your request. Nothing was changed; please try again.",
  "error.internal": "Something unexpected went wrong. Nothing was changed; please try again.",

  "approval.reason.agent_policy": "The {agent} agent's steps always need approval.",
  "approval.reason.planner": "The planner marked this step as risky.",
  "approval.rejected": "Skipped: rejected by {by}.",
  "approval.expired_rejection": "Skipped: the approval request expired.",
  "step.skipped_dependency": "Skipped because step {step} did not complete.",
  "step.fallback_agent":
    'The planner asked for an unknown agent "{agent}"; the search agent handles this step instead.',
  "step.failed": "Failed after {attempts} attempt(s): {error}",

  "answer.no_steps": "No step completed, so I have no answer to give.",
  "answer.partial_prefix": "Here is what the completed steps found:",

  "chat.summary_title": "Execution summary",
  "chat.total_steps": "Total steps: {count}",
  "chat.completed_steps": "Completed: {count}",
  "chat.failed_steps": "Failed: {count}",
  "chat.skipped_steps": "Skipped: {count}",
  "chat.approvals": "Approvals: {count}",
  "chat.execution_time": "Time: {seconds}s",
  "chat.insights_title": "Key insights",

  "graph.group_label": "{agent} tasks",

  "report.title": "Analysis report",
  "report.generated_at": "Generated at",
  "report.request": "Request",
  "report.summary": "Summary",
  "report.statistics": "Execution statistics",
  "report.item": "Item",
  "report.value": "Value",
  "report.percent": "Share",
  "report.total_steps": "Total steps",
  "report.completed_steps": "Completed steps",
  "report.failed_steps": "Failed steps",
  "report.skipped_steps": "Skipped steps",
  "report.approvals": "Human approvals",
  "report.execution_time": "Execution time",
  "report.chart": "Results chart",
  "report.pie_title": "Step outcomes",
  "report.timeline": "Timeline",
  "report.gantt_title": "Step timeline",
  "report.details": "Step details",
  "report.step": "Step {step}: {description}",
  "report.agent": "Agent",
  "report.status": "Status",
  "report.confidence": "Confidence",
  "report.task": "Task",
  "report.result": "Result",
  "report.error": "Error",
  "report.insights": "Key insights",
  "report.recommendations": "Recommendations",
  "report.no_recommendations": "No specific recommendations.",
  "report.conclusion": "Conclusion",
  "report.conclusion_text": "{completed} of {total} steps completed in {seconds} seconds.",
  "report.seconds": "{seconds} s",

  "outcome.completed": "completed",
  "outcome.failed": "failed",
  "outcome.skipped": "skipped",
  "outcome.running": "running",
  "outcome.pending": "pending",
  "outcome.waiting": "waiting for approval",

  "decision.approve": "approved",
  "decision.reject": "rejected",
  "decision.edit": "edited",
} as const;
