-- mart_open_weight_share: a period's tokens are the sum of its four statuses, the shares lie in [0, 1]
-- with share_lower <= share_point <= share_upper, and a week is partial exactly when it has under 7 days.
select *
from {{ ref('mart_open_weight_share') }}
where total_tokens <> open_weight_tokens + closed_tokens + unknown_tokens + other_tokens
   or share_lower < 0 or share_upper > 1
   or share_lower > share_upper
   or (share_point is not null and (share_point < share_lower or share_point > share_upper))
   or is_partial <> (period_grain = 'week' and days_covered < 7)
   or days_covered < 1 or days_covered > (case when period_grain = 'day' then 1 else 7 end)
