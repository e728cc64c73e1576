"""`python -m eagerflow`: the main job (see eagerflow/demo)."""

from eagerflow.demo import main

if __name__ == "__main__":
    main()
