"""Everything that touches a pin or a port: the ticket printer, desk button units, the desk console.

Each device has a real driver and a stand-in that is the library's own (python-escpos's
Dummy/File printers, gpiozero's MockFactory), so the appliance runs on a laptop too.
"""
