"""Generate and publish Terbuka's demo data: regions, agencies, users, processes with PDFs."""
