"""Publishing: reports, bundles and exports."""
