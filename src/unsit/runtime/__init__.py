"""What the process needs around it: its folders, its log file, its assets, and start-up fixes for
Python and Qt."""
