# Lifecycle models (inactivity episodes, sweep runs, eligibility history) arrive with their issue.
