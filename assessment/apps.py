from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "考核与验收"

    def ready(self):
        # Every 调岗移除 archives the teacher's materials (services.removal).
        from groups.removal import removal_clearer_register

        from .services.removal import REMOVAL_CLEARER

        removal_clearer_register(REMOVAL_CLEARER)

        # The hours app's registration pages say where each school's
        # acceptance stands (hours may not import assessment: hours.acceptance).
        from hours.acceptance import AcceptanceSource, acceptance_source_register

        from .models import Acceptance
        from .selectors.acceptance import ACCEPTANCE_LABELS, acceptances_of_cycle

        acceptance_source_register(
            AcceptanceSource(
                of_cycle=acceptances_of_cycle,
                passed=Acceptance.Status.PASSED,
                labels=ACCEPTANCE_LABELS,
            )
        )

        # The school's records to the left (the 专任 flag in accounts; the
        # 两案, theme, group plans and groups in groups) stand as submitted
        # while the acceptance holds them (they may not import assessment:
        # accounts.holds).
        from accounts.holds import AcceptanceHold, acceptance_hold_register

        from .selectors.acceptance import results_held_now
        from .services.common import held_record, results_held

        acceptance_hold_register(
            AcceptanceHold(write=results_held, page=results_held_now, record=held_record)
        )

        # The district's per-school figures follow every change of a school's
        # teachers and hours, reported by the apps to the left (accounts.figures).
        from accounts.figures import school_figures_keeper_register

        from .services.stats import (
            school_figures_of_row,
            school_figures_of_rows,
            school_stats_changed,
            school_stats_hours_move,
        )

        school_figures_keeper_register(
            changed=school_stats_changed,
            hours_moved=school_stats_hours_move,
            read=school_figures_of_row,
            read_many=school_figures_of_rows,
        )

        # A reversal that would take a passed teacher below 25 hours is refused
        # by the ledger (hours may not import assessment: hours.passed).
        from hours.passed import review_passed_register

        from .services.review import review_passed_of

        review_passed_register(review_passed_of)

        # The daily job reminds teachers who are not complete before the cycle ends…
        from accounts.reminders import ReminderSource, reminder_source_register

        from .reminders import acceptance_deadline_due, cycle_end_due

        reminder_source_register(ReminderSource("cycle_end", "研修周期即将结束", cycle_end_due))
        # …and a school's admins who have not submitted before the district's deadline.
        reminder_source_register(
            ReminderSource("acceptance_deadline", "整校推进验收截止", acceptance_deadline_due)
        )
