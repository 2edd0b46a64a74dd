-- Support tickets that link to no account: a warning, because the service signals of their
-- accounts rest on fewer tickets (thinner), while each account is still scored.
{{ config(severity='warn') }}
{{ unlinked_share_guard(
    system='support_ticket',
    source_name='support',
    records_label='support tickets (support.ticket)',
    limit_var='guard_max_unlinked_ticket_share',
    effect="Their tickets count for no account: service signals rest on fewer tickets (open tickets"
        ~ " and tickets per seat read low, resolution times and ratings thinner).",
    remedy="Set organization.external_id to the CRM account id, give organizations their mail"
        ~ " domains, or make sure tickets carry their organization."
) }}
