"""The organizers' summary report ("Báo cáo tổng kết"): figures, charts, dashboard, PDF and XLSX."""
