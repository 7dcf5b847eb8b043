"""Social tendering (maatschappelijk aanbesteden): tenders for a societal challenge, coalitions
led by a lead party, their bids, the panel's evaluation and the award; later agreements and
monitoring."""
