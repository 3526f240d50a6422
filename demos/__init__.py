"""NumPy cores of the live demos; they run natively and in the reader's browser (Pyodide)."""
