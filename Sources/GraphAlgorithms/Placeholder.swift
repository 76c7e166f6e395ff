import Columnar
