-- Nothing reads lots by customer: the night finds them by sale (the key) and by the day they activate
-- or expire (the two partial indexes), and a customer's balance and history are the ledger's, through
-- points_ledger_by_customer. Rebuilding this index after a first night's ten million lots was a fifth
-- of the points step.
DROP INDEX core.points_lot_by_customer;
