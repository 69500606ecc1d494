-- Hourly earnings are rate × hours billed (to the cent).
select contract_id
from contracts
where contract_type = 'hourly' and abs(earnings - round(hourly_rate * hours_billed, 2)) > 0.011
