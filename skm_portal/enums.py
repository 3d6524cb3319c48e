"""States as enums that templates compare against, never as raw strings.

Django calls anything callable it meets in a template, an enum class too; this flag (the
one Django's own `TextChoices` carry) stops that, so a model can expose its state enum and
a template writes `{% if permit.step == permit.Step.REVISI %}`, not `== "revisi"`.
"""

from enum import StrEnum, nonmember


class StateEnum(StrEnum):
    do_not_call_in_templates = nonmember(True)
