-- Which alerts should reach a CSM, and when? One row per alert raised (int_health_alerts: the
-- rules of seed alert_rules with their hysteresis and cool-down), with the account's current
-- owner (int_account_owners) so it can be routed to the CSM. A table rebuilt on every run from
-- the stored alerts, so a change of owner reaches every open alert.
with alerts as (
    select * from {{ ref('int_health_alerts') }}
),

owners as (
    select * from {{ ref('int_account_owners') }}
),

final as (
    select
        alerts.alert_id,
        alerts.account_id,
        alerts.alerted_on,
        alerts.alert_type,
        alerts.severity,
        alerts.health_score,
        alerts.alert_message,
        alerts.top_driver_down,
        alerts.lifecycle_stage,
        alerts.customer_tier,
        owners.owner_user_id
    from alerts
    left join owners on alerts.account_id = owners.account_id
)

select * from final
