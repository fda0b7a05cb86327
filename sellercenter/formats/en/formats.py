"""How the app shows a date or a time when a template or the admin names no format: the way
Seller Center's own pages write them ("Nov 1, 2026", "Nov 1, 2026 14:05 PST"), so the staff
console and the seller pages agree. Only display formats: input formats stay Django's."""

DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y H:i T"
SHORT_DATE_FORMAT = "M j, Y"
SHORT_DATETIME_FORMAT = "M j, Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "M j"
YEAR_MONTH_FORMAT = "F Y"
