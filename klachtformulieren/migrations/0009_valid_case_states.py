from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("klachtformulieren", "0008_reopened_cases_are_open")]

    operations = [
        migrations.AddConstraint(
            model_name='complaint',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('closed_at__isnull', True), ('decided_at__isnull', True), ('outcome', ''), ('status__in', ['handling', 'intake', 'received'])), models.Q(('closed_at__isnull', True), ('decided_at__isnull', False), ('outcome__in', ('well_founded', 'partly_well_founded', 'unfounded', 'no_judgement')), ('status', 'decided')), models.Q(('closed_at__isnull', False), ('outcome__in', ('well_founded', 'partly_well_founded', 'unfounded', 'no_judgement')), ('status', 'closed'), ('decided_at__isnull', False)), models.Q(('closed_at__isnull', False), ('outcome__in', ['resolved_informally']), ('status', 'closed'), ('decided_at__isnull', True)), models.Q(('closed_at__isnull', False), ('outcome__in', ['not_handled']), ('status', 'not_handled'), ('decided_at__isnull', True)), models.Q(('closed_at__isnull', False), ('outcome__in', ['referred']), ('status', 'referred'), ('decided_at__isnull', True)), models.Q(('closed_at__isnull', False), ('outcome__in', ['withdrawn']), ('status', 'withdrawn'), ('decided_at__isnull', True)), _connector='OR'), name='complaint_status_outcome_dates', violation_error_message='This status does not go with this outcome and these dates.'),
        ),
        migrations.AddConstraint(
            model_name='complaint',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('decided_at__isnull', True), ('decided_at__gte', models.F('received_at')), _connector='OR'), models.Q(('closed_at__isnull', True), ('closed_at__gte', models.F('received_at')), _connector='OR'), models.Q(('closed_at__isnull', True), ('decided_at__isnull', True), ('closed_at__gte', models.F('decided_at')), _connector='OR')), name='complaint_dates_in_order', violation_error_message='A case is decided and closed after it was received, and closed after the decision.'),
        ),
    ]
