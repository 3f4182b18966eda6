# The page's words: lessons. Fluent syntax (https://projectfluent.org); see src/core/text.

## Opening a lesson: what a notice says when it cannot be opened.
lesson-cannot-open = The lesson cannot be opened: { $reason }.
lesson-not-found = there is no lesson `{ $slug }`

## The Lessons button and its list of built-in lessons, each with how far the learner got.
lesson-list-button = Lessons ▾
lesson-list-button-title = Guided lessons: each sets up a graph and walks you through an experiment
lesson-list-done = done
lesson-list-steps-done = { $done } of { $count ->
    [one] { $count } step
   *[other] { $count } steps
}
lesson-list-steps = { $count ->
    [one] { $count } step
   *[other] { $count } steps
}
lesson-list-edit = Edit this lesson…
lesson-list-make = Make a lesson from this graph…

## The step the learner is on: its header, its question, its goal and the way on.
lesson-step-label = Lesson: { $title }
lesson-step-count = Step { $step } of { $count }
lesson-step-leave = Leave the lesson (the graph stays)
# Each is followed by the learner's answer.
lesson-step-you-guessed = You guessed:
lesson-step-your-guess = Your guess:
# After the learner's answer, once the step's goal has held.
lesson-step-compare = — compare it with what happened.
lesson-step-guess-label = Your guess
lesson-step-guess = Guess
# Followed by the goal, as the lesson writes it.
lesson-step-goal = Goal:
# After one of the goal's tests: what it reads now.
lesson-step-goal-now = — now { $value }
lesson-step-run-before = The run under way began before this step: Stop it and Train to check this step's goal.
lesson-step-goal-reached = Goal reached.
lesson-step-back = Back
lesson-step-next = Next
lesson-step-finish = Finish

## "Make a lesson": the panel where a teacher writes a lesson's steps.
lesson-author-heading = Make a lesson
lesson-author-close = Close the lesson editor
lesson-author-intro = The lesson starts from the graph as it was when you began; Preview opens it there, as a learner would.
lesson-author-use-graph = Start from the graph as it is now
lesson-author-title = Title
lesson-author-summary = What it teaches, in a line
lesson-author-add-step = + Step
lesson-author-preview = Preview
lesson-author-share = Share the lesson
lesson-author-link = Link to this lesson
lesson-author-previewed = Previewed above the graph. Share the lesson copies a link that opens it on its start, at its first step.
lesson-author-reads = It reads: Preview it.
lesson-author-problems = { $count ->
    [one] { $count } field
   *[other] { $count } fields
} to fix before it can be previewed.
lesson-author-goal-help-summary = What a goal can say
# Each variable is an example in the goal language, shown as code.
lesson-author-goal-help = Tests joined by { $and }, { $or }, { $not }, comparing names with numbers: { $comparison }; a parameter ({ $parameter }), { $changed }, { $uses }, { $notice }, { $sweep }. The names:

## One step of the lesson being written: its fields.
lesson-author-step = Step { $number }
lesson-author-remove-step = Remove
lesson-author-text = What it says (*emphasis*, `code`, lists)
lesson-author-highlights = Highlight (kinds, Kind.parameter, or names like loss-chart)
lesson-author-locks = Lock (Kind.parameter, the learner cannot change them)
lesson-author-question = Ask before the run (optional)
lesson-author-question-placeholder = Will the loss fall faster or slower?
lesson-author-choices = Answers to pick, one per line (none: the learner types one)
lesson-author-goal = Goal (when the step is done; none: once read)
